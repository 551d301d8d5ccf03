// Raw material for the sandbox's members: names grouped by cultural origin (so first and last
// names fit together), the time zones people of that origin plausibly live in, and job titles.
// All of it is invented for this project; the combinations are drawn in community.ts.

export interface NameOrigin {
  first: string[];
  last: string[];
  /** IANA zones, with the standard UTC offset in hours (DST is ignored: the data is synthetic). */
  zones: [string, number][];
}

export const NAME_ORIGINS: NameOrigin[] = [
  { first: ['Adaeze', 'Chinedu', 'Ngozi', 'Emeka', 'Ifeoma'], last: ['Okafor', 'Nwosu', 'Eze', 'Obi', 'Okonkwo'], zones: [['Africa/Lagos', 1]] },
  {
    first: ['Tunde', 'Folake', 'Kayode', 'Bisi', 'Yemi'],
    last: ['Adeyemi', 'Balogun', 'Ogunleye', 'Afolabi', 'Adebayo'],
    zones: [
      ['Africa/Lagos', 1],
      ['Europe/London', 0],
    ],
  },
  { first: ['Wanjiru', 'Otieno', 'Akinyi', 'Kamau', 'Njeri'], last: ['Mwangi', 'Odhiambo', 'Kariuki', 'Wambui', 'Ochieng'], zones: [['Africa/Nairobi', 3]] },
  {
    first: ['Priya', 'Arjun', 'Ananya', 'Rohan', 'Kavya'],
    last: ['Sharma', 'Iyer', 'Reddy', 'Menon', 'Kulkarni'],
    zones: [
      ['Asia/Kolkata', 5.5],
      ['Europe/London', 0],
    ],
  },
  {
    first: ['Wei', 'Xiaoling', 'Jun', 'Mei', 'Hao'],
    last: ['Chen', 'Liu', 'Zhang', 'Huang', 'Lin'],
    zones: [
      ['Asia/Shanghai', 8],
      ['Asia/Singapore', 8],
    ],
  },
  { first: ['Haruto', 'Yui', 'Kenji', 'Sakura', 'Takeshi'], last: ['Tanaka', 'Sato', 'Nakamura', 'Kobayashi', 'Yamamoto'], zones: [['Asia/Tokyo', 9]] },
  { first: ['Minji', 'Jiho', 'Seo-yeon', 'Dong-hyun', 'Hana'], last: ['Kim', 'Park', 'Choi', 'Jung', 'Kang'], zones: [['Asia/Seoul', 9]] },
  {
    first: ['Linh', 'Minh', 'Thao', 'Quang', 'Huong'],
    last: ['Nguyen', 'Tran', 'Pham', 'Le', 'Vo'],
    zones: [
      ['Asia/Ho_Chi_Minh', 7],
      ['Europe/Berlin', 1],
    ],
  },
  {
    first: ['Joao', 'Beatriz', 'Rafael', 'Larissa', 'Thiago'],
    last: ['Silva', 'Oliveira', 'Costa', 'Almeida', 'Ferreira'],
    zones: [
      ['America/Sao_Paulo', -3],
      ['Europe/Lisbon', 0],
    ],
  },
  {
    first: ['Lucia', 'Mateo', 'Valentina', 'Diego', 'Camila'],
    last: ['Garcia', 'Hernandez', 'Morales', 'Ruiz', 'Castillo'],
    zones: [
      ['America/Mexico_City', -6],
      ['Europe/Madrid', 1],
    ],
  },
  { first: ['Jonas', 'Katrin', 'Felix', 'Anja', 'Lukas'], last: ['Schneider', 'Hoffmann', 'Becker', 'Vogel', 'Richter'], zones: [['Europe/Berlin', 1]] },
  {
    first: ['Camille', 'Julien', 'Manon', 'Antoine', 'Claire'],
    last: ['Lefebvre', 'Moreau', 'Dubois', 'Fontaine', 'Girard'],
    zones: [
      ['Europe/Paris', 1],
      ['America/Montreal', -5],
    ],
  },
  { first: ['Agnieszka', 'Tomasz', 'Magdalena', 'Piotr', 'Zofia'], last: ['Nowak', 'Kowalczyk', 'Wojcik', 'Mazur', 'Krawczyk'], zones: [['Europe/Warsaw', 1]] },
  {
    first: ['Astrid', 'Erik', 'Ingrid', 'Nils', 'Sigrid'],
    last: ['Lindqvist', 'Johansson', 'Berg', 'Nyberg', 'Holm'],
    zones: [
      ['Europe/Stockholm', 1],
      ['Europe/Oslo', 1],
    ],
  },
  {
    first: ['Youssef', 'Salma', 'Karim', 'Nour', 'Omar'],
    last: ['El-Amrani', 'Haddad', 'Mansour', 'Benali', 'Farouk'],
    zones: [
      ['Africa/Casablanca', 1],
      ['Africa/Cairo', 2],
      ['Europe/Paris', 1],
    ],
  },
  {
    first: ['Elif', 'Emre', 'Zeynep', 'Burak', 'Deniz'],
    last: ['Yilmaz', 'Demir', 'Kaya', 'Aydin', 'Ozturk'],
    zones: [
      ['Europe/Istanbul', 3],
      ['Europe/Berlin', 1],
    ],
  },
  { first: ['Siobhan', 'Ciaran', 'Aoife', 'Declan', 'Niamh'], last: ['Murphy', 'Byrne', 'Gallagher', 'Doyle', 'Kennedy'], zones: [['Europe/Dublin', 0]] },
  {
    first: ['Megan', 'Tyler', 'Jordan', 'Rachel', 'Marcus'],
    last: ['Carter', 'Brooks', 'Hughes', 'Sullivan', 'Reed'],
    zones: [
      ['America/New_York', -5],
      ['America/Chicago', -6],
      ['America/Los_Angeles', -8],
    ],
  },
  {
    first: ['Kwame', 'Ama', 'Kofi', 'Efua', 'Yaw'],
    last: ['Mensah', 'Asante', 'Boateng', 'Owusu', 'Appiah'],
    zones: [
      ['Africa/Accra', 0],
      ['Europe/London', 0],
    ],
  },
  { first: ['Maricel', 'Paolo', 'Jasmine', 'Rommel', 'Andrea'], last: ['Santos', 'Reyes', 'Villanueva', 'Dela Cruz', 'Bautista'], zones: [['Asia/Manila', 8]] },
  { first: ['Sanne', 'Daan', 'Femke', 'Bram', 'Lotte'], last: ['de Vries', 'Bakker', 'Visser', 'Jansen', 'van Dijk'], zones: [['Europe/Amsterdam', 1]] },
  { first: ['Giulia', 'Marco', 'Chiara', 'Luca', 'Francesca'], last: ['Romano', 'Colombo', 'Ricci', 'Marino', 'Greco'], zones: [['Europe/Rome', 1]] },
  {
    first: ['Darius', 'Shirin', 'Reza', 'Leila', 'Navid'],
    last: ['Hosseini', 'Karimi', 'Rahimi', 'Moradi', 'Tehrani'],
    zones: [
      ['Europe/London', 0],
      ['America/Toronto', -5],
    ],
  },
  {
    first: ['Oksana', 'Dmytro', 'Iryna', 'Andriy', 'Olena'],
    last: ['Kovalenko', 'Shevchenko', 'Bondarenko', 'Tkachenko', 'Melnyk'],
    zones: [
      ['Europe/Kyiv', 2],
      ['Europe/Warsaw', 1],
    ],
  },
  { first: ['Aroha', 'Tane', 'Mereana', 'Wiremu', 'Kiri'], last: ['Ngata', 'Parata', 'Walker', 'Tawhiri', 'Henare'], zones: [['Pacific/Auckland', 12]] },
  {
    first: ['Hamid', 'Ayesha', 'Bilal', 'Sana', 'Faisal'],
    last: ['Qureshi', 'Siddiqui', 'Malik', 'Chaudhry', 'Raza'],
    zones: [
      ['Asia/Karachi', 5],
      ['Asia/Dubai', 4],
    ],
  },
];

/** Job titles with a plausible range for the size of the team they lead. */
export const ROLES: [title: string, minTeam: number, maxTeam: number][] = [
  ['Engineering Manager', 4, 10],
  ['Senior Engineering Manager', 10, 25],
  ['Director of Engineering', 25, 80],
  ['Head of Product', 5, 20],
  ['Product Lead', 3, 8],
  ['Operations Lead', 5, 15],
  ['Customer Support Manager', 8, 30],
  ['Data Team Lead', 3, 9],
  ['Design Manager', 4, 10],
  ['QA Lead', 3, 8],
  ['Head of People', 3, 10],
  ['Sales Manager', 6, 18],
  ['Infrastructure Lead', 4, 10],
  ['Marketing Team Lead', 3, 9],
  ['Finance Manager', 3, 8],
  ['Program Manager', 2, 6],
  ['CTO', 15, 60],
  ['Team Lead, Mobile', 4, 8],
  ['Research Manager', 3, 10],
];

/** Local quiet hours ("HH:MM-HH:MM", the format core/concierge/eligibility.ts reads). */
export const QUIET_HOURS = ['18:00-08:00', '19:00-07:30', '20:00-08:00', '17:30-09:00', '22:00-07:00', '12:00-13:30'];
